using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class MicrodistrictAliasesAndRegistryAddresses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "schools_registry_addresses",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    settlement_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    street = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    house = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: true),
                    longitude = table.Column<double>(type: "REAL", nullable: true),
                    residents = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_registry_addresses", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "schools_street_aliases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    settlement_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    street = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    variant = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schools_street_aliases", x => x.id);
                    table.ForeignKey(
                        name: "FK_schools_street_aliases_schools_settlements_settlement_code",
                        column: x => x.settlement_code,
                        principalTable: "schools_settlements",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_schools_registry_addresses_settlement_code",
                table: "schools_registry_addresses",
                column: "settlement_code");

            migrationBuilder.CreateIndex(
                name: "IX_schools_street_aliases_settlement_code",
                table: "schools_street_aliases",
                column: "settlement_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schools_registry_addresses");

            migrationBuilder.DropTable(
                name: "schools_street_aliases");
        }
    }
}
