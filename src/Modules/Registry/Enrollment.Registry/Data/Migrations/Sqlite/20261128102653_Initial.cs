using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_population_person",
                columns: table => new
                {
                    pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    patronymic = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    sex = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    birth_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    birth_certificate_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    passport_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    phone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_population_person", x => x.pin);
                });

            migrationBuilder.CreateTable(
                name: "registry_population_priority_document",
                columns: table => new
                {
                    child_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    document_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_population_priority_document", x => new { x.child_pin, x.category });
                });

            migrationBuilder.CreateTable(
                name: "registry_population_address",
                columns: table => new
                {
                    pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    settlement_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    street = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    house = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    apartment = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    latitude = table.Column<double>(type: "REAL", nullable: true),
                    longitude = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_population_address", x => x.pin);
                    table.ForeignKey(
                        name: "FK_registry_population_address_registry_population_person_pin",
                        column: x => x.pin,
                        principalTable: "registry_population_person",
                        principalColumn: "pin",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "registry_population_parent_link",
                columns: table => new
                {
                    parent_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    child_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    relation = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_population_parent_link", x => new { x.parent_pin, x.child_pin });
                    table.ForeignKey(
                        name: "FK_registry_population_parent_link_registry_population_person_child_pin",
                        column: x => x.child_pin,
                        principalTable: "registry_population_person",
                        principalColumn: "pin",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_registry_population_parent_link_registry_population_person_parent_pin",
                        column: x => x.parent_pin,
                        principalTable: "registry_population_person",
                        principalColumn: "pin",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_population_parent_link_child_pin",
                table: "registry_population_parent_link",
                column: "child_pin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_population_address");

            migrationBuilder.DropTable(
                name: "registry_population_parent_link");

            migrationBuilder.DropTable(
                name: "registry_population_priority_document");

            migrationBuilder.DropTable(
                name: "registry_population_person");
        }
    }
}
