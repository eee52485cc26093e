using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class Applications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "application",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    child_pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    applicant_pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    relation = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    active_key = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: true),
                    idempotency_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    child_last_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    child_first_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    child_sex = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    child_birth_date = table.Column<DateOnly>(type: "date", nullable: false),
                    applicant_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    phone = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    secondary_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    consent = table.Column<bool>(type: "boolean", nullable: false),
                    priority_category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    priority_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    priority_note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    resident_school_codes = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    commission_grounds = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    commission_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    commission_date = table.Column<DateOnly>(type: "date", nullable: true),
                    commission_body = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    commission_approved = table.Column<bool>(type: "boolean", nullable: true),
                    submitted_in_stage = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    mismatches = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    correction_due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    offer_school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    offer_language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    offer_grade = table.Column<int>(type: "integer", nullable: true),
                    offer_confirm_by = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    enrolled_school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    enrolled_language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    enrolled_grade = table.Column<int>(type: "integer", nullable: true),
                    enrollment_order_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    enrollment_order_date = table.Column<DateOnly>(type: "date", nullable: true),
                    rejection_reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "cancellation_allowance",
                schema: "registry",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    child_pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    used = table.Column<int>(type: "integer", nullable: false),
                    granted = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cancellation_allowance", x => new { x.campaign_id, x.child_pin });
                });

            migrationBuilder.CreateTable(
                name: "cancellation_grant",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    child_pin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: false),
                    granted_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cancellation_grant", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "processed_offer_batch",
                schema: "registry",
                columns: table => new
                {
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processed_offer_batch", x => x.batch_id);
                });

            migrationBuilder.CreateTable(
                name: "application_choice",
                schema: "registry",
                columns: table => new
                {
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rank = table.Column<int>(type: "integer", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_choice", x => new { x.application_id, x.rank });
                    table.ForeignKey(
                        name: "FK_application_choice_application_application_id",
                        column: x => x.application_id,
                        principalSchema: "registry",
                        principalTable: "application",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "application_history",
                schema: "registry",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    from = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    to = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_history", x => x.id);
                    table.ForeignKey(
                        name: "FK_application_history_application_application_id",
                        column: x => x.application_id,
                        principalSchema: "registry",
                        principalTable: "application",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_applicant_pin_idempotency_key",
                schema: "registry",
                table: "application",
                columns: new[] { "applicant_pin", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_application_campaign_id_active_key",
                schema: "registry",
                table: "application",
                columns: new[] { "campaign_id", "active_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_application_campaign_id_child_pin",
                schema: "registry",
                table: "application",
                columns: new[] { "campaign_id", "child_pin" });

            migrationBuilder.CreateIndex(
                name: "IX_application_campaign_id_status",
                schema: "registry",
                table: "application",
                columns: new[] { "campaign_id", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_application_status_correction_due_at",
                schema: "registry",
                table: "application",
                columns: new[] { "status", "correction_due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_application_choice_district_code",
                schema: "registry",
                table: "application_choice",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "IX_application_choice_school_code",
                schema: "registry",
                table: "application_choice",
                column: "school_code");

            migrationBuilder.CreateIndex(
                name: "IX_application_history_application_id_sequence",
                schema: "registry",
                table: "application_history",
                columns: new[] { "application_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cancellation_grant_campaign_id_child_pin",
                schema: "registry",
                table: "cancellation_grant",
                columns: new[] { "campaign_id", "child_pin" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "application_choice",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "application_history",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "cancellation_allowance",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "cancellation_grant",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "processed_offer_batch",
                schema: "registry");

            migrationBuilder.DropTable(
                name: "application",
                schema: "registry");
        }
    }
}
