using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Enrollment.Schools.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class MicrodistrictAliasesAndRegistryAddresses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_addresses",
                schema: "schools",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    settlement_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    street = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    house = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    latitude = table.Column<double>(type: "double precision", nullable: true),
                    longitude = table.Column<double>(type: "double precision", nullable: true),
                    residents = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_addresses", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "street_aliases",
                schema: "schools",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    settlement_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    street = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    variant = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_street_aliases", x => x.id);
                    table.ForeignKey(
                        name: "FK_street_aliases_settlements_settlement_code",
                        column: x => x.settlement_code,
                        principalSchema: "schools",
                        principalTable: "settlements",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_addresses_settlement_code",
                schema: "schools",
                table: "registry_addresses",
                column: "settlement_code");

            migrationBuilder.CreateIndex(
                name: "IX_street_aliases_settlement_code",
                schema: "schools",
                table: "street_aliases",
                column: "settlement_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_addresses",
                schema: "schools");

            migrationBuilder.DropTable(
                name: "street_aliases",
                schema: "schools");
        }
    }
}
