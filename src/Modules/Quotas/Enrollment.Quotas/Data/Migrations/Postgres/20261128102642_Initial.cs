using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Quotas.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "quotas");

            migrationBuilder.CreateTable(
                name: "campaigns",
                schema: "quotas",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    start_year = table.Column<int>(type: "integer", nullable: false),
                    quota_entry_opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    quota_entry_closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    stage_one_opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    stage_two_opens_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    main_closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    late_enrollment_ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    max_choices = table.Column<int>(type: "integer", nullable: false),
                    tie_break = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    lottery_seed = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    equal_footing_hours = table.Column<int>(type: "integer", nullable: false),
                    offer_confirm_days = table.Column<int>(type: "integer", nullable: false),
                    cancellation_limit = table.Column<int>(type: "integer", nullable: false),
                    correction_days = table.Column<int>(type: "integer", nullable: false),
                    appeal_days = table.Column<int>(type: "integer", nullable: false),
                    class_size_limit = table.Column<int>(type: "integer", nullable: false),
                    eligible_birth_from = table.Column<DateOnly>(type: "date", nullable: false),
                    eligible_birth_to = table.Column<DateOnly>(type: "date", nullable: false),
                    age_limit_years = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_campaigns", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_campaigns_name",
                schema: "quotas",
                table: "campaigns",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaigns",
                schema: "quotas");
        }
    }
}
