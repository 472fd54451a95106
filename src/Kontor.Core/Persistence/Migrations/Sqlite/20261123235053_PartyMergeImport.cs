using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kontor.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PartyMergeImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CityKey",
                table: "Parties",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmailKey",
                table: "Parties",
                type: "TEXT",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MergedAt",
                table: "Parties",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoPartyId",
                table: "Parties",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameKey",
                table: "Parties",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PhoneKey",
                table: "Parties",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "Parties",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Active");

            migrationBuilder.AddColumn<string>(
                name: "TaxKey",
                table: "Parties",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Parties_CityKey_NameKey",
                table: "Parties",
                columns: new[] { "CityKey", "NameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Parties_EmailKey",
                table: "Parties",
                column: "EmailKey");

            migrationBuilder.CreateIndex(
                name: "IX_Parties_MergedIntoPartyId",
                table: "Parties",
                column: "MergedIntoPartyId");

            migrationBuilder.CreateIndex(
                name: "IX_Parties_PhoneKey",
                table: "Parties",
                column: "PhoneKey");

            migrationBuilder.CreateIndex(
                name: "IX_Parties_TaxKey",
                table: "Parties",
                column: "TaxKey");

            migrationBuilder.AddForeignKey(
                name: "FK_Parties_Parties_MergedIntoPartyId",
                table: "Parties",
                column: "MergedIntoPartyId",
                principalTable: "Parties",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Parties_Parties_MergedIntoPartyId",
                table: "Parties");

            migrationBuilder.DropIndex(
                name: "IX_Parties_CityKey_NameKey",
                table: "Parties");

            migrationBuilder.DropIndex(
                name: "IX_Parties_EmailKey",
                table: "Parties");

            migrationBuilder.DropIndex(
                name: "IX_Parties_MergedIntoPartyId",
                table: "Parties");

            migrationBuilder.DropIndex(
                name: "IX_Parties_PhoneKey",
                table: "Parties");

            migrationBuilder.DropIndex(
                name: "IX_Parties_TaxKey",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "CityKey",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "EmailKey",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "MergedAt",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "MergedIntoPartyId",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "NameKey",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "PhoneKey",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "Parties");

            migrationBuilder.DropColumn(
                name: "TaxKey",
                table: "Parties");
        }
    }
}
