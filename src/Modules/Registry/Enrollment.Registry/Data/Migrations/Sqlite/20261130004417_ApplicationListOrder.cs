using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Registry.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class ApplicationListOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_registry_application_submitted_at_id",
                table: "registry_application",
                columns: new[] { "submitted_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_registry_application_submitted_at_id",
                table: "registry_application");
        }
    }
}
