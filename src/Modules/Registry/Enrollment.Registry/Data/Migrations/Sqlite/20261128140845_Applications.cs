using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Applications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_application",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    child_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    applicant_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    relation = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    active_key = table.Column<string>(type: "TEXT", maxLength: 14, nullable: true),
                    idempotency_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    child_last_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    child_first_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    child_sex = table.Column<string>(type: "TEXT", maxLength: 1, nullable: false),
                    child_birth_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    applicant_name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    phone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    secondary_email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    consent = table.Column<bool>(type: "INTEGER", nullable: false),
                    priority_category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    priority_status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    priority_note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    resident_school_codes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    commission_grounds = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    commission_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    commission_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    commission_body = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    commission_approved = table.Column<bool>(type: "INTEGER", nullable: true),
                    submitted_in_stage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    submitted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    mismatches = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    correction_due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    offer_school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    offer_language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    offer_grade = table.Column<int>(type: "INTEGER", nullable: true),
                    offer_confirm_by = table.Column<long>(type: "INTEGER", nullable: true),
                    enrolled_school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    enrolled_language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    enrolled_grade = table.Column<int>(type: "INTEGER", nullable: true),
                    enrollment_order_number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    enrollment_order_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    rejection_reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_application", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "registry_cancellation_allowance",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    child_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    used = table.Column<int>(type: "INTEGER", nullable: false),
                    granted = table.Column<int>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_cancellation_allowance", x => new { x.campaign_id, x.child_pin });
                });

            migrationBuilder.CreateTable(
                name: "registry_cancellation_grant",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    campaign_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    child_pin = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    granted_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_cancellation_grant", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "registry_processed_offer_batch",
                columns: table => new
                {
                    batch_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    processed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_processed_offer_batch", x => x.batch_id);
                });

            migrationBuilder.CreateTable(
                name: "registry_application_choice",
                columns: table => new
                {
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    rank = table.Column<int>(type: "INTEGER", nullable: false),
                    school_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_application_choice", x => new { x.application_id, x.rank });
                    table.ForeignKey(
                        name: "FK_registry_application_choice_registry_application_application_id",
                        column: x => x.application_id,
                        principalTable: "registry_application",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "registry_application_history",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    application_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    from = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    to = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_application_history", x => x.id);
                    table.ForeignKey(
                        name: "FK_registry_application_history_registry_application_application_id",
                        column: x => x.application_id,
                        principalTable: "registry_application",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_applicant_pin_idempotency_key",
                table: "registry_application",
                columns: new[] { "applicant_pin", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_campaign_id_active_key",
                table: "registry_application",
                columns: new[] { "campaign_id", "active_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_campaign_id_child_pin",
                table: "registry_application",
                columns: new[] { "campaign_id", "child_pin" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_campaign_id_status",
                table: "registry_application",
                columns: new[] { "campaign_id", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_status_correction_due_at",
                table: "registry_application",
                columns: new[] { "status", "correction_due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_choice_district_code",
                table: "registry_application_choice",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_choice_school_code",
                table: "registry_application_choice",
                column: "school_code");

            migrationBuilder.CreateIndex(
                name: "IX_registry_application_history_application_id_sequence",
                table: "registry_application_history",
                columns: new[] { "application_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_registry_cancellation_grant_campaign_id_child_pin",
                table: "registry_cancellation_grant",
                columns: new[] { "campaign_id", "child_pin" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_application_choice");

            migrationBuilder.DropTable(
                name: "registry_application_history");

            migrationBuilder.DropTable(
                name: "registry_cancellation_allowance");

            migrationBuilder.DropTable(
                name: "registry_cancellation_grant");

            migrationBuilder.DropTable(
                name: "registry_processed_offer_batch");

            migrationBuilder.DropTable(
                name: "registry_application");
        }
    }
}
