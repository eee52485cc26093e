using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Reporting.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class ReadModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "application_fact",
                schema: "reporting",
                columns: table => new
                {
                    application_id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    child_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    birth_year = table.Column<int>(type: "integer", nullable: false),
                    sex = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    stage = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    submitted_on = table.Column<DateOnly>(type: "date", nullable: true),
                    school_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    grade = table.Column<int>(type: "integer", nullable: true),
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    region_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    choices = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    choice_count = table.Column<int>(type: "integer", nullable: false),
                    priority_category = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    priority_verified = table.Column<bool>(type: "boolean", nullable: false),
                    privileged = table.Column<bool>(type: "boolean", nullable: false),
                    enrolled_school_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    enrolled_language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    enrolled_grade = table.Column<int>(type: "integer", nullable: true),
                    enrolled_district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    event_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    history_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_application_fact", x => x.application_id);
                });

            migrationBuilder.CreateTable(
                name: "daily_applications",
                schema: "reporting",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    region_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    submitted = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_daily_applications", x => new { x.campaign_id, x.day, x.region_code });
                });

            migrationBuilder.CreateTable(
                name: "district",
                schema: "reporting",
                columns: table => new
                {
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name_ky = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name_ru = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_district", x => x.district_code);
                });

            migrationBuilder.CreateTable(
                name: "program_fact",
                schema: "reporting",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    grade = table.Column<int>(type: "integer", nullable: false),
                    school_name_ky = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    school_name_ru = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    district_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    region_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    classes = table.Column<int>(type: "integer", nullable: false),
                    approved_seats = table.Column<int>(type: "integer", nullable: false),
                    offers = table.Column<int>(type: "integer", nullable: false),
                    enrolled = table.Column<int>(type: "integer", nullable: false),
                    free_seats = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_program_fact", x => new { x.campaign_id, x.school_code, x.language, x.grade });
                });

            migrationBuilder.CreateTable(
                name: "read_model_version",
                schema: "reporting",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_read_model_version", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "saved_query",
                schema: "reporting",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    query = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    variables = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    saved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_saved_query", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_application_fact_campaign_id_enrolled_school_code",
                schema: "reporting",
                table: "application_fact",
                columns: new[] { "campaign_id", "enrolled_school_code" });

            migrationBuilder.CreateIndex(
                name: "IX_application_fact_campaign_id_region_code_district_code_lang~",
                schema: "reporting",
                table: "application_fact",
                columns: new[] { "campaign_id", "region_code", "district_code", "language" });

            migrationBuilder.CreateIndex(
                name: "IX_application_fact_campaign_id_school_code",
                schema: "reporting",
                table: "application_fact",
                columns: new[] { "campaign_id", "school_code" });

            migrationBuilder.CreateIndex(
                name: "IX_application_fact_campaign_id_submitted_on_region_code",
                schema: "reporting",
                table: "application_fact",
                columns: new[] { "campaign_id", "submitted_on", "region_code" });

            migrationBuilder.CreateIndex(
                name: "IX_program_fact_campaign_id_region_code_district_code_language",
                schema: "reporting",
                table: "program_fact",
                columns: new[] { "campaign_id", "region_code", "district_code", "language" });

            migrationBuilder.CreateIndex(
                name: "IX_saved_query_owner_name",
                schema: "reporting",
                table: "saved_query",
                columns: new[] { "owner", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "application_fact",
                schema: "reporting");

            migrationBuilder.DropTable(
                name: "daily_applications",
                schema: "reporting");

            migrationBuilder.DropTable(
                name: "district",
                schema: "reporting");

            migrationBuilder.DropTable(
                name: "program_fact",
                schema: "reporting");

            migrationBuilder.DropTable(
                name: "read_model_version",
                schema: "reporting");

            migrationBuilder.DropTable(
                name: "saved_query",
                schema: "reporting");
        }
    }
}
