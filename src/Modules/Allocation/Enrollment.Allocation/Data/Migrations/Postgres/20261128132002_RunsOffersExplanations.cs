using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Allocation.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class RunsOffersExplanations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "duration_ms",
                schema: "allocation",
                table: "run",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "equal_footing_hours",
                schema: "allocation",
                table: "run",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "error",
                schema: "allocation",
                table: "run",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "kept",
                schema: "allocation",
                table: "run",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "moved_up",
                schema: "allocation",
                table: "run",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "offer_confirm_days",
                schema: "allocation",
                table: "run",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "result_hash",
                schema: "allocation",
                table: "run",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tie_break",
                schema: "allocation",
                table: "run",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "trigger",
                schema: "allocation",
                table: "run",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "waitlisted",
                schema: "allocation",
                table: "run",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "explanation",
                schema: "allocation",
                columns: table => new
                {
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    assigned_program = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    held_program = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    choices_json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_explanation", x => new { x.application_id, x.run_id });
                });

            migrationBuilder.CreateTable(
                name: "lock",
                schema: "allocation",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    owner = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    epoch = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lock", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "offer",
                schema: "allocation",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    program_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    school_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    made_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirm_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    closed_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    reminder_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_offer", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "run_program",
                schema: "allocation",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    program_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    school_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "integer", nullable: false),
                    approved = table.Column<int>(type: "integer", nullable: false),
                    enrolled = table.Column<int>(type: "integer", nullable: false),
                    held_fixed = table.Column<int>(type: "integer", nullable: false),
                    capacity = table.Column<int>(type: "integer", nullable: false),
                    admitted = table.Column<int>(type: "integer", nullable: false),
                    held_after = table.Column<int>(type: "integer", nullable: false),
                    cutoff_class = table.Column<int>(type: "integer", nullable: true),
                    cutoff_tiebreak = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_run_program", x => new { x.run_id, x.program_id });
                });

            migrationBuilder.CreateTable(
                name: "run_snapshot",
                schema: "allocation",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    instance_gzip = table.Column<byte[]>(type: "bytea", nullable: false),
                    result_gzip = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_run_snapshot", x => x.run_id);
                });

            migrationBuilder.InsertData(
                schema: "allocation",
                table: "lock",
                columns: new[] { "name", "epoch", "lease_until", "owner" },
                values: new object[] { "allocation", 0L, null, null });

            migrationBuilder.CreateIndex(
                name: "IX_explanation_run_id",
                schema: "allocation",
                table: "explanation",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "IX_offer_application_id_made_at",
                schema: "allocation",
                table: "offer",
                columns: new[] { "application_id", "made_at" });

            migrationBuilder.CreateIndex(
                name: "IX_offer_campaign_id_status_program_id",
                schema: "allocation",
                table: "offer",
                columns: new[] { "campaign_id", "status", "program_id" });

            migrationBuilder.CreateIndex(
                name: "ux_allocation_offer_open",
                schema: "allocation",
                table: "offer",
                column: "application_id",
                unique: true,
                filter: "status IN ('Offered', 'Confirmed', 'Enrolled')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "explanation",
                schema: "allocation");

            migrationBuilder.DropTable(
                name: "lock",
                schema: "allocation");

            migrationBuilder.DropTable(
                name: "offer",
                schema: "allocation");

            migrationBuilder.DropTable(
                name: "run_program",
                schema: "allocation");

            migrationBuilder.DropTable(
                name: "run_snapshot",
                schema: "allocation");

            migrationBuilder.DropColumn(
                name: "duration_ms",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "equal_footing_hours",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "error",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "kept",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "moved_up",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "offer_confirm_days",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "result_hash",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "tie_break",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "trigger",
                schema: "allocation",
                table: "run");

            migrationBuilder.DropColumn(
                name: "waitlisted",
                schema: "allocation",
                table: "run");
        }
    }
}
