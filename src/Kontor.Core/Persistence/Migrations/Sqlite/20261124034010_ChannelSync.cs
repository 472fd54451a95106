using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChannelSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CoalesceKey",
                table: "OutboxMessages",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ChannelProducts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChannelId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExternalProductId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExternalVariantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ExternalInventoryItemId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastPushedQuantity = table.Column<long>(type: "INTEGER", nullable: true),
                    LastPushedPrice = table.Column<long>(type: "INTEGER", nullable: true),
                    LastPushedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LearnedFromOrder = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChannelProducts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChannelProducts_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ChannelProducts_SalesChannels_ChannelId",
                        column: x => x.ChannelId,
                        principalTable: "SalesChannels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_CoalesceKey",
                table: "OutboxMessages",
                column: "CoalesceKey");

            migrationBuilder.CreateIndex(
                name: "IX_ChannelProducts_ChannelId_ProductId",
                table: "ChannelProducts",
                columns: new[] { "ChannelId", "ProductId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChannelProducts_ProductId",
                table: "ChannelProducts",
                column: "ProductId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChannelProducts");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_CoalesceKey",
                table: "OutboxMessages");

            migrationBuilder.DropColumn(
                name: "CoalesceKey",
                table: "OutboxMessages");
        }
    }
}
