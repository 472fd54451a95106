using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Pricing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AutomaticDiscountPercent",
                table: "RecurringScheduleLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AutomaticUnitPrice",
                table: "RecurringScheduleLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscountSource",
                table: "RecurringScheduleLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscountSourceName",
                table: "RecurringScheduleLines",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriceSource",
                table: "RecurringScheduleLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriceSourceName",
                table: "RecurringScheduleLines",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ProductGroupId",
                table: "Products",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AutomaticDiscountPercent",
                table: "OrderLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AutomaticUnitPrice",
                table: "OrderLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscountSource",
                table: "OrderLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscountSourceName",
                table: "OrderLines",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriceSource",
                table: "OrderLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriceSourceName",
                table: "OrderLines",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AutomaticDiscountPercent",
                table: "OfferLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AutomaticUnitPrice",
                table: "OfferLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscountSource",
                table: "OfferLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscountSourceName",
                table: "OfferLines",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriceSource",
                table: "OfferLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriceSourceName",
                table: "OfferLines",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AutomaticDiscountPercent",
                table: "InvoiceLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AutomaticUnitPrice",
                table: "InvoiceLines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscountSource",
                table: "InvoiceLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiscountSourceName",
                table: "InvoiceLines",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriceSource",
                table: "InvoiceLines",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PriceSourceName",
                table: "InvoiceLines",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PriceGroups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PriceGroups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ProductGroups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductGroups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PriceListEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PriceGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PartyId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    NetPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ValidTo = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PriceListEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PriceListEntries_Parties_PartyId",
                        column: x => x.PartyId,
                        principalTable: "Parties",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PriceListEntries_PriceGroups_PriceGroupId",
                        column: x => x.PriceGroupId,
                        principalTable: "PriceGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PriceListEntries_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DiscountRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PartyId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PriceGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProductGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MinQuantity = table.Column<long>(type: "INTEGER", nullable: true),
                    Percent = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ValidTo = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DiscountRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DiscountRules_Parties_PartyId",
                        column: x => x.PartyId,
                        principalTable: "Parties",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DiscountRules_PriceGroups_PriceGroupId",
                        column: x => x.PriceGroupId,
                        principalTable: "PriceGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DiscountRules_ProductGroups_ProductGroupId",
                        column: x => x.ProductGroupId,
                        principalTable: "ProductGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DiscountRules_Products_ProductId",
                        column: x => x.ProductId,
                        principalTable: "Products",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Products_ProductGroupId",
                table: "Products",
                column: "ProductGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_DiscountRules_PartyId",
                table: "DiscountRules",
                column: "PartyId");

            migrationBuilder.CreateIndex(
                name: "IX_DiscountRules_PriceGroupId",
                table: "DiscountRules",
                column: "PriceGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_DiscountRules_ProductGroupId",
                table: "DiscountRules",
                column: "ProductGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_DiscountRules_ProductId",
                table: "DiscountRules",
                column: "ProductId");

            migrationBuilder.CreateIndex(
                name: "IX_PriceGroups_Name",
                table: "PriceGroups",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PriceListEntries_PartyId",
                table: "PriceListEntries",
                column: "PartyId");

            migrationBuilder.CreateIndex(
                name: "IX_PriceListEntries_PriceGroupId",
                table: "PriceListEntries",
                column: "PriceGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_PriceListEntries_ProductId_PartyId",
                table: "PriceListEntries",
                columns: new[] { "ProductId", "PartyId" });

            migrationBuilder.CreateIndex(
                name: "IX_PriceListEntries_ProductId_PriceGroupId",
                table: "PriceListEntries",
                columns: new[] { "ProductId", "PriceGroupId" });

            migrationBuilder.CreateIndex(
                name: "IX_ProductGroups_Name",
                table: "ProductGroups",
                column: "Name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Products_ProductGroups_ProductGroupId",
                table: "Products",
                column: "ProductGroupId",
                principalTable: "ProductGroups",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // Customers already had a free-text price group: each name in use becomes a group, so existing data keeps working.
            migrationBuilder.Sql(@"INSERT INTO ""PriceGroups"" (""Id"", ""Name"", ""Description"", ""CreatedAt"", ""Version"")
SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
       g.""PriceGroup"", NULL, 0,
       upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))
FROM (SELECT DISTINCT ""PriceGroup"" FROM ""Parties"" WHERE ""PriceGroup"" IS NOT NULL AND trim(""PriceGroup"") <> '') AS g;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Products_ProductGroups_ProductGroupId",
                table: "Products");

            migrationBuilder.DropTable(
                name: "DiscountRules");

            migrationBuilder.DropTable(
                name: "PriceListEntries");

            migrationBuilder.DropTable(
                name: "ProductGroups");

            migrationBuilder.DropTable(
                name: "PriceGroups");

            migrationBuilder.DropIndex(
                name: "IX_Products_ProductGroupId",
                table: "Products");

            migrationBuilder.DropColumn(
                name: "AutomaticDiscountPercent",
                table: "RecurringScheduleLines");

            migrationBuilder.DropColumn(
                name: "AutomaticUnitPrice",
                table: "RecurringScheduleLines");

            migrationBuilder.DropColumn(
                name: "DiscountSource",
                table: "RecurringScheduleLines");

            migrationBuilder.DropColumn(
                name: "DiscountSourceName",
                table: "RecurringScheduleLines");

            migrationBuilder.DropColumn(
                name: "PriceSource",
                table: "RecurringScheduleLines");

            migrationBuilder.DropColumn(
                name: "PriceSourceName",
                table: "RecurringScheduleLines");

            migrationBuilder.DropColumn(
                name: "ProductGroupId",
                table: "Products");

            migrationBuilder.DropColumn(
                name: "AutomaticDiscountPercent",
                table: "OrderLines");

            migrationBuilder.DropColumn(
                name: "AutomaticUnitPrice",
                table: "OrderLines");

            migrationBuilder.DropColumn(
                name: "DiscountSource",
                table: "OrderLines");

            migrationBuilder.DropColumn(
                name: "DiscountSourceName",
                table: "OrderLines");

            migrationBuilder.DropColumn(
                name: "PriceSource",
                table: "OrderLines");

            migrationBuilder.DropColumn(
                name: "PriceSourceName",
                table: "OrderLines");

            migrationBuilder.DropColumn(
                name: "AutomaticDiscountPercent",
                table: "OfferLines");

            migrationBuilder.DropColumn(
                name: "AutomaticUnitPrice",
                table: "OfferLines");

            migrationBuilder.DropColumn(
                name: "DiscountSource",
                table: "OfferLines");

            migrationBuilder.DropColumn(
                name: "DiscountSourceName",
                table: "OfferLines");

            migrationBuilder.DropColumn(
                name: "PriceSource",
                table: "OfferLines");

            migrationBuilder.DropColumn(
                name: "PriceSourceName",
                table: "OfferLines");

            migrationBuilder.DropColumn(
                name: "AutomaticDiscountPercent",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "AutomaticUnitPrice",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "DiscountSource",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "DiscountSourceName",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "PriceSource",
                table: "InvoiceLines");

            migrationBuilder.DropColumn(
                name: "PriceSourceName",
                table: "InvoiceLines");
        }
    }
}
