using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Reporting.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reporting_region_summary",
                columns: table => new
                {
                    region_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    districts = table.Column<int>(type: "INTEGER", nullable: false),
                    schools = table.Column<int>(type: "INTEGER", nullable: false),
                    participating_schools = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reporting_region_summary", x => x.region_code);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reporting_region_summary");
        }
    }
}
