using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "schools_regions",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    is_city = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_regions", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "schools_districts",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_districts", x => x.code);
                    table.ForeignKey(
                        name: "FK_schools_districts_schools_regions_region_code",
                        column: x => x.region_code,
                        principalTable: "schools_regions",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "schools_settlements",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_settlements", x => x.code);
                    table.ForeignKey(
                        name: "FK_schools_settlements_schools_districts_district_code",
                        column: x => x.district_code,
                        principalTable: "schools_districts",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "schools_schools",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    settlement_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    name_ru = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    address = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    languages = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    participates_in_enrollment = table.Column<bool>(type: "INTEGER", nullable: false),
                    non_participation_reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_schools", x => x.code);
                    table.ForeignKey(
                        name: "FK_schools_schools_schools_districts_district_code",
                        column: x => x.district_code,
                        principalTable: "schools_districts",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_schools_schools_schools_settlements_settlement_code",
                        column: x => x.settlement_code,
                        principalTable: "schools_settlements",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "schools_microdistrict_polygons",
                columns: table => new
                {
                    school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    geo_json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_microdistrict_polygons", x => x.school_code);
                    table.ForeignKey(
                        name: "FK_schools_microdistrict_polygons_schools_schools_school_code",
                        column: x => x.school_code,
                        principalTable: "schools_schools",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "schools_microdistrict_rules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    settlement_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    street = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    house_set = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_microdistrict_rules", x => x.id);
                    table.ForeignKey(
                        name: "FK_schools_microdistrict_rules_schools_schools_school_code",
                        column: x => x.school_code,
                        principalTable: "schools_schools",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_schools_districts_region_code",
                table: "schools_districts",
                column: "region_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_microdistrict_rules_school_code",
                table: "schools_microdistrict_rules",
                column: "school_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_microdistrict_rules_settlement_code_street",
                table: "schools_microdistrict_rules",
                columns: new[] { "settlement_code", "street" });

            migrationBuilder.CreateIndex(
                name: "IX_schools_schools_district_code",
                table: "schools_schools",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_schools_region_code",
                table: "schools_schools",
                column: "region_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_schools_settlement_code",
                table: "schools_schools",
                column: "settlement_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_settlements_district_code",
                table: "schools_settlements",
                column: "district_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schools_microdistrict_polygons");

            migrationBuilder.DropTable(
                name: "schools_microdistrict_rules");

            migrationBuilder.DropTable(
                name: "schools_schools");

            migrationBuilder.DropTable(
                name: "schools_settlements");

            migrationBuilder.DropTable(
                name: "schools_districts");

            migrationBuilder.DropTable(
                name: "schools_regions");
        }
    }
}
