using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Quotas.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class QuotaVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "version",
                table: "quotas_quotas",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "version",
                table: "quotas_quotas");
        }
    }
}
