using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class MicrodistrictIndexStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "schools_index_stamps",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_index_stamps", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "schools_index_stamps",
                columns: new[] { "id", "version" },
                values: new object[] { 1, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schools_index_stamps");
        }
    }
}
