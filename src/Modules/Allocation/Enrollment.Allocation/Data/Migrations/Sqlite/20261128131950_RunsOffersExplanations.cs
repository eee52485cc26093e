using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Allocation.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class RunsOffersExplanations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "duration_ms",
                table: "allocation_run",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "equal_footing_hours",
                table: "allocation_run",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "error",
                table: "allocation_run",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "kept",
                table: "allocation_run",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "moved_up",
                table: "allocation_run",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "offer_confirm_days",
                table: "allocation_run",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "result_hash",
                table: "allocation_run",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tie_break",
                table: "allocation_run",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "trigger",
                table: "allocation_run",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "waitlisted",
                table: "allocation_run",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "allocation_explanation",
                columns: table => new
                {
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    assigned_program = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    held_program = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    choices_json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocation_explanation", x => new { x.application_id, x.run_id });
                });

            migrationBuilder.CreateTable(
                name: "allocation_lock",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    epoch = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocation_lock", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "allocation_offer",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    program_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    made_at = table.Column<long>(type: "INTEGER", nullable: false),
                    confirm_by = table.Column<long>(type: "INTEGER", nullable: false),
                    confirmed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    closed_reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    reminder_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocation_offer", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "allocation_run_program",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    program_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "INTEGER", nullable: false),
                    approved = table.Column<int>(type: "INTEGER", nullable: false),
                    enrolled = table.Column<int>(type: "INTEGER", nullable: false),
                    held_fixed = table.Column<int>(type: "INTEGER", nullable: false),
                    capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    admitted = table.Column<int>(type: "INTEGER", nullable: false),
                    held_after = table.Column<int>(type: "INTEGER", nullable: false),
                    cutoff_class = table.Column<int>(type: "INTEGER", nullable: true),
                    cutoff_tiebreak = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocation_run_program", x => new { x.run_id, x.program_id });
                });

            migrationBuilder.CreateTable(
                name: "allocation_run_snapshot",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    instance_gzip = table.Column<byte[]>(type: "BLOB", nullable: false),
                    result_gzip = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_allocation_run_snapshot", x => x.run_id);
                });

            migrationBuilder.InsertData(
                table: "allocation_lock",
                columns: new[] { "name", "epoch", "lease_until", "owner" },
                values: new object[] { "allocation", 0L, null, null });

            migrationBuilder.CreateIndex(
                name: "IX_allocation_explanation_run_id",
                table: "allocation_explanation",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "IX_allocation_offer_application_id_made_at",
                table: "allocation_offer",
                columns: new[] { "application_id", "made_at" });

            migrationBuilder.CreateIndex(
                name: "IX_allocation_offer_campaign_id_status_program_id",
                table: "allocation_offer",
                columns: new[] { "campaign_id", "status", "program_id" });

            migrationBuilder.CreateIndex(
                name: "ux_allocation_offer_open",
                table: "allocation_offer",
                column: "application_id",
                unique: true,
                filter: "status IN ('Offered', 'Confirmed', 'Enrolled')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "allocation_explanation");

            migrationBuilder.DropTable(
                name: "allocation_lock");

            migrationBuilder.DropTable(
                name: "allocation_offer");

            migrationBuilder.DropTable(
                name: "allocation_run_program");

            migrationBuilder.DropTable(
                name: "allocation_run_snapshot");

            migrationBuilder.DropColumn(
                name: "duration_ms",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "equal_footing_hours",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "error",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "kept",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "moved_up",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "offer_confirm_days",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "result_hash",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "tie_break",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "trigger",
                table: "allocation_run");

            migrationBuilder.DropColumn(
                name: "waitlisted",
                table: "allocation_run");
        }
    }
}
