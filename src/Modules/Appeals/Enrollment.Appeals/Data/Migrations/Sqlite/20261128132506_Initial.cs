using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Appeals.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "appeals_appeals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    applicant_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    district_codes = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    filed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    decision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    answered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    answered_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_appeals_appeals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "appeals_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    appeal_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    author = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    author_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    is_answer = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_appeals_messages", x => x.id);
                    table.ForeignKey(
                        name: "FK_appeals_messages_appeals_appeals_appeal_id",
                        column: x => x.appeal_id,
                        principalTable: "appeals_appeals",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_appeals_applicant_pin",
                table: "appeals_appeals",
                column: "applicant_pin");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_appeals_application_id_kind",
                table: "appeals_appeals",
                columns: new[] { "application_id", "kind" },
                unique: true,
                filter: "status = 'Open'");

            migrationBuilder.CreateIndex(
                name: "IX_appeals_appeals_status_due_at",
                table: "appeals_appeals",
                columns: new[] { "status", "due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_appeals_messages_appeal_id_at",
                table: "appeals_messages",
                columns: new[] { "appeal_id", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "appeals_messages");

            migrationBuilder.DropTable(
                name: "appeals_appeals");
        }
    }
}
