using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class MicrodistrictIndexStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "index_stamps",
                schema: "schools",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_index_stamps", x => x.id);
                });

            migrationBuilder.InsertData(
                schema: "schools",
                table: "index_stamps",
                columns: new[] { "id", "version" },
                values: new object[] { 1, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "index_stamps",
                schema: "schools");
        }
    }
}
