using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Quotas.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class QuotaVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "version",
                schema: "quotas",
                table: "quotas",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "version",
                schema: "quotas",
                table: "quotas");
        }
    }
}
