using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Quotas.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "quotas_campaigns",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    start_year = table.Column<int>(type: "INTEGER", nullable: false),
                    quota_entry_opens_at = table.Column<long>(type: "INTEGER", nullable: false),
                    quota_entry_closes_at = table.Column<long>(type: "INTEGER", nullable: false),
                    stage_one_opens_at = table.Column<long>(type: "INTEGER", nullable: false),
                    stage_two_opens_at = table.Column<long>(type: "INTEGER", nullable: false),
                    main_closes_at = table.Column<long>(type: "INTEGER", nullable: false),
                    late_enrollment_ends_at = table.Column<long>(type: "INTEGER", nullable: false),
                    max_choices = table.Column<int>(type: "INTEGER", nullable: false),
                    tie_break = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    lottery_seed = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    equal_footing_hours = table.Column<int>(type: "INTEGER", nullable: false),
                    offer_confirm_days = table.Column<int>(type: "INTEGER", nullable: false),
                    cancellation_limit = table.Column<int>(type: "INTEGER", nullable: false),
                    correction_days = table.Column<int>(type: "INTEGER", nullable: false),
                    appeal_days = table.Column<int>(type: "INTEGER", nullable: false),
                    class_size_limit = table.Column<int>(type: "INTEGER", nullable: false),
                    eligible_birth_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    eligible_birth_to = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    age_limit_years = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quotas_campaigns", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_quotas_campaigns_name",
                table: "quotas_campaigns",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quotas_campaigns");
        }
    }
}
