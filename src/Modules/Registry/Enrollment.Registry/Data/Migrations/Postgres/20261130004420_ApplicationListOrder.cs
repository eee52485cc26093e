using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class ApplicationListOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_application_submitted_at_id",
                schema: "registry",
                table: "application",
                columns: new[] { "submitted_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_application_submitted_at_id",
                schema: "registry",
                table: "application");
        }
    }
}
