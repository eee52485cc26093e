using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "registry");

            migrationBuilder.CreateTable(
                name: "population_person",
                schema: "registry",
                columns: table => new
                {
                    pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    last_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    first_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    patronymic = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    sex = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    birth_date = table.Column<DateOnly>(type: "date", nullable: false),
                    birth_certificate_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    passport_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    phone = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_population_person", x => x.pin);
                });

            migrationBuilder.CreateTable(
                name: "population_priority_document",
                schema: "registry",
                columns: table => new
                {
                    child_pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    document_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_population_priority_document", x => new { x.child_pin, x.category });
                });

            migrationBuilder.CreateTable(
                name: "population_address",
                schema: "registry",
                columns: table => new
                {
                    pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    settlement_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    street = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    house = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    apartment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    latitude = table.Column<double>(type: "double precision", nullable: true),
                    longitude = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_population_address", x => x.pin);
                    table.ForeignKey(
                        name: "FK_population_address_population_person_pin",
                        column: x => x.pin,
                        principalSchema: "registry",
                        principalTable: "population_person",
                        principalColumn: "pin",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "population_parent_link",
                schema: "registry",
                columns: table => new
                {
                    parent_pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    child_pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    relation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_population_parent_link", x => new { x.parent_pin, x.child_pin });
                    table.ForeignKey(
                        name: "FK_population_parent_link_population_person_child_pin",
                        column: x => x.child_pin,
                        principalSchema: "registry",
                        principalTable: "population_person",
                        principalColumn: "pin",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_population_parent_link_population_person_parent_pin",
                        column: x => x.parent_pin,
                        principalSchema: "registry",
                        principalTable: "population_person",
                        principalColumn: "pin",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_population_parent_link_child_pin",
                schema: "registry",
                table: "population_parent_link",
                column: "child_pin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "population_address",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "population_parent_link",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "population_priority_document",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "population_person",
                schema: "registry");
        }
    }
}
