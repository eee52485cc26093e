using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Notifications.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "notifications_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    deadline = table.Column<long>(type: "INTEGER", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    decision = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    expanded_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifications_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    event_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    recipient = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    body = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    district_codes = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_attempt_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    requeued_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications_messages", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_events_application_id",
                table: "notifications_events",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_events_key",
                table: "notifications_events",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notifications_events_status_received_at",
                table: "notifications_events",
                columns: new[] { "status", "received_at" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_messages_application_id_created_at",
                table: "notifications_messages",
                columns: new[] { "application_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_messages_created_at",
                table: "notifications_messages",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_messages_event_id_channel",
                table: "notifications_messages",
                columns: new[] { "event_id", "channel" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notifications_messages_status_next_attempt_at",
                table: "notifications_messages",
                columns: new[] { "status", "next_attempt_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notifications_events");

            migrationBuilder.DropTable(
                name: "notifications_messages");
        }
    }
}
