using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Host.Audit.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    actor_name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    actor_roles = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    module = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    entity = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    entity_key = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    before_json = table.Column<string>(type: "TEXT", nullable: true),
                    after_json = table.Column<string>(type: "TEXT", nullable: true),
                    reason = table.Column<string>(type: "TEXT", nullable: true),
                    previous_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_actor_name",
                table: "audit_entries",
                column: "actor_name");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_at",
                table: "audit_entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_district_code",
                table: "audit_entries",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_module_entity_entity_key",
                table: "audit_entries",
                columns: new[] { "module", "entity", "entity_key" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_school_code",
                table: "audit_entries",
                column: "school_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");
        }
    }
}
