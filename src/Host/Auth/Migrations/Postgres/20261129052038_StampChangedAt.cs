using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Enrollment.Host.Auth.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class StampChangedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "stamp_changed_at",
                schema: "auth",
                table: "asp_net_users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_asp_net_users_stamp_changed_at",
                schema: "auth",
                table: "asp_net_users",
                column: "stamp_changed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_asp_net_users_stamp_changed_at",
                schema: "auth",
                table: "asp_net_users");

            migrationBuilder.DropColumn(
                name: "stamp_changed_at",
                schema: "auth",
                table: "asp_net_users");
        }
    }
}
