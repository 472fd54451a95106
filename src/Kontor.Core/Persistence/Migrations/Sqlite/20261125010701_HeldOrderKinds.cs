using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HeldOrderKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "HeldShopOrders",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Refused");

            migrationBuilder.AddColumn<string>(
                name: "UnknownSkus",
                table: "HeldShopOrders",
                type: "TEXT",
                nullable: true);

            DataMigrations.BackfillHoldKinds(migrationBuilder);

            migrationBuilder.CreateIndex(
                name: "IX_HeldShopOrders_Status_Kind_UpdatedAt",
                table: "HeldShopOrders",
                columns: new[] { "Status", "Kind", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HeldShopOrders_Status_Kind_UpdatedAt",
                table: "HeldShopOrders");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "HeldShopOrders");

            migrationBuilder.DropColumn(
                name: "UnknownSkus",
                table: "HeldShopOrders");
        }
    }
}
