using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IntegrationLogOrderIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_IntegrationLog_ChannelId_ExternalId",
                table: "IntegrationLog",
                columns: new[] { "ChannelId", "ExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_IntegrationLog_OrderId",
                table: "IntegrationLog",
                column: "OrderId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_IntegrationLog_ChannelId_ExternalId",
                table: "IntegrationLog");

            migrationBuilder.DropIndex(
                name: "IX_IntegrationLog_OrderId",
                table: "IntegrationLog");
        }
    }
}
