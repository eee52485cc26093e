using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Enrollment.Host.Audit.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "audit");

            migrationBuilder.CreateTable(
                name: "entries",
                schema: "audit",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    actor_roles = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    request_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    module = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    entity = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    entity_key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    before_json = table.Column<string>(type: "text", nullable: true),
                    after_json = table.Column<string>(type: "text", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: true),
                    previous_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_entries", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_entries_actor_name",
                schema: "audit",
                table: "entries",
                column: "actor_name");

            migrationBuilder.CreateIndex(
                name: "IX_entries_at",
                schema: "audit",
                table: "entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_entries_district_code",
                schema: "audit",
                table: "entries",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "IX_entries_module_entity_entity_key",
                schema: "audit",
                table: "entries",
                columns: new[] { "module", "entity", "entity_key" });

            migrationBuilder.CreateIndex(
                name: "IX_entries_school_code",
                schema: "audit",
                table: "entries",
                column: "school_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "entries",
                schema: "audit");
        }
    }
}
