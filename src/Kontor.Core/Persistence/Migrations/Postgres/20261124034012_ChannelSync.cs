using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChannelSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Secret",
                table: "SalesChannels",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AlterColumn<string>(
                name: "ApiSecret",
                table: "SalesChannels",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CoalesceKey",
                table: "OutboxMessages",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ChannelProducts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ChannelId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    ExternalProductId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ExternalVariantId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ExternalInventoryItemId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    LastPushedQuantity = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    LastPushedPrice = table.Column<decimal>(type: "numeric(24,6)", precision: 24, scale: 6, nullable: true),
                    LastPushedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LearnedFromOrder = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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

            migrationBuilder.AlterColumn<string>(
                name: "Secret",
                table: "SalesChannels",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(1000)",
                oldMaxLength: 1000);

            migrationBuilder.AlterColumn<string>(
                name: "ApiSecret",
                table: "SalesChannels",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(1000)",
                oldMaxLength: 1000,
                oldNullable: true);
        }
    }
}
