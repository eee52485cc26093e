using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class MicrodistrictHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "schools_microdistrict_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    rule_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    before = table.Column<string>(type: "TEXT", nullable: false),
                    after = table.Column<string>(type: "TEXT", nullable: false),
                    changed_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    changed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    reverts_change_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_microdistrict_changes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_schools_microdistrict_changes_district_code",
                table: "schools_microdistrict_changes",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_microdistrict_changes_school_code_id",
                table: "schools_microdistrict_changes",
                columns: new[] { "school_code", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schools_microdistrict_changes");
        }
    }
}
