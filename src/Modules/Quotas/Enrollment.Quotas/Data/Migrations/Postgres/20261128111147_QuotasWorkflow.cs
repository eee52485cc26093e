using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Enrollment.Quotas.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class QuotasWorkflow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "campaign_changes",
                schema: "quotas",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    changes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    @override = table.Column<bool>(name: "override", type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_campaign_changes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "published_stages",
                schema: "quotas",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_published_stages", x => x.campaign_id);
                });

            migrationBuilder.CreateTable(
                name: "quota_changes",
                schema: "quotas",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    quota_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    action = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    old_status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    new_status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    old_classes = table.Column<int>(type: "integer", nullable: false),
                    old_seats = table.Column<int>(type: "integer", nullable: false),
                    new_classes = table.Column<int>(type: "integer", nullable: false),
                    new_seats = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quota_changes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "quotas",
                schema: "quotas",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "integer", nullable: false),
                    classes = table.Column<int>(type: "integer", nullable: false),
                    seats = table.Column<int>(type: "integer", nullable: false),
                    approved_classes = table.Column<int>(type: "integer", nullable: false),
                    approved_seats = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quotas", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "switches",
                schema: "quotas",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    school_codes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    announced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    announced_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_switches", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_campaign_changes_campaign_id_at",
                schema: "quotas",
                table: "campaign_changes",
                columns: new[] { "campaign_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_quota_changes_quota_id_at",
                schema: "quotas",
                table: "quota_changes",
                columns: new[] { "quota_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_quotas_campaign_id_district_code_status",
                schema: "quotas",
                table: "quotas",
                columns: new[] { "campaign_id", "district_code", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_quotas_campaign_id_school_code_language_grade",
                schema: "quotas",
                table: "quotas",
                columns: new[] { "campaign_id", "school_code", "language", "grade" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_switches_campaign_id_kind",
                schema: "quotas",
                table: "switches",
                columns: new[] { "campaign_id", "kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaign_changes",
                schema: "quotas");

            migrationBuilder.DropTable(
                name: "published_stages",
                schema: "quotas");

            migrationBuilder.DropTable(
                name: "quota_changes",
                schema: "quotas");

            migrationBuilder.DropTable(
                name: "quotas",
                schema: "quotas");

            migrationBuilder.DropTable(
                name: "switches",
                schema: "quotas");
        }
    }
}
