using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "schools");

            migrationBuilder.CreateTable(
                name: "regions",
                schema: "schools",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    is_city = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_regions", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "districts",
                schema: "schools",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_districts", x => x.code);
                    table.ForeignKey(
                        name: "FK_districts_regions_region_code",
                        column: x => x.region_code,
                        principalSchema: "schools",
                        principalTable: "regions",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "settlements",
                schema: "schools",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settlements", x => x.code);
                    table.ForeignKey(
                        name: "FK_settlements_districts_district_code",
                        column: x => x.district_code,
                        principalSchema: "schools",
                        principalTable: "districts",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "schools",
                schema: "schools",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    settlement_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    name_ru = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: false),
                    longitude = table.Column<double>(type: "double precision", nullable: false),
                    type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    languages = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    participates_in_enrollment = table.Column<bool>(type: "boolean", nullable: false),
                    non_participation_reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools", x => x.code);
                    table.ForeignKey(
                        name: "FK_schools_districts_district_code",
                        column: x => x.district_code,
                        principalSchema: "schools",
                        principalTable: "districts",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_schools_settlements_settlement_code",
                        column: x => x.settlement_code,
                        principalSchema: "schools",
                        principalTable: "settlements",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "microdistrict_polygons",
                schema: "schools",
                columns: table => new
                {
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    geo_json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_microdistrict_polygons", x => x.school_code);
                    table.ForeignKey(
                        name: "FK_microdistrict_polygons_schools_school_code",
                        column: x => x.school_code,
                        principalSchema: "schools",
                        principalTable: "schools",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "microdistrict_rules",
                schema: "schools",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    settlement_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    street = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    house_set = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_microdistrict_rules", x => x.id);
                    table.ForeignKey(
                        name: "FK_microdistrict_rules_schools_school_code",
                        column: x => x.school_code,
                        principalSchema: "schools",
                        principalTable: "schools",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_districts_region_code",
                schema: "schools",
                table: "districts",
                column: "region_code");

            migrationBuilder.CreateIndex(
                name: "IX_microdistrict_rules_school_code",
                schema: "schools",
                table: "microdistrict_rules",
                column: "school_code");

            migrationBuilder.CreateIndex(
                name: "IX_microdistrict_rules_settlement_code_street",
                schema: "schools",
                table: "microdistrict_rules",
                columns: new[] { "settlement_code", "street" });

            migrationBuilder.CreateIndex(
                name: "IX_schools_district_code",
                schema: "schools",
                table: "schools",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_region_code",
                schema: "schools",
                table: "schools",
                column: "region_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_settlement_code",
                schema: "schools",
                table: "schools",
                column: "settlement_code");

            migrationBuilder.CreateIndex(
                name: "IX_settlements_district_code",
                schema: "schools",
                table: "settlements",
                column: "district_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "microdistrict_polygons",
                schema: "schools");

            migrationBuilder.DropTable(
                name: "microdistrict_rules",
                schema: "schools");

            migrationBuilder.DropTable(
                name: "schools",
                schema: "schools");

            migrationBuilder.DropTable(
                name: "settlements",
                schema: "schools");

            migrationBuilder.DropTable(
                name: "districts",
                schema: "schools");

            migrationBuilder.DropTable(
                name: "regions",
                schema: "schools");
        }
    }
}
