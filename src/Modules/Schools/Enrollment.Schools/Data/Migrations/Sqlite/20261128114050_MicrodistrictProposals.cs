using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class MicrodistrictProposals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "schools_microdistrict_proposals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    proposed_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    proposed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_microdistrict_proposals", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_schools_microdistrict_proposals_school_code",
                table: "schools_microdistrict_proposals",
                column: "school_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_microdistrict_proposals_status_district_code",
                table: "schools_microdistrict_proposals",
                columns: new[] { "status", "district_code" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schools_microdistrict_proposals");
        }
    }
}
