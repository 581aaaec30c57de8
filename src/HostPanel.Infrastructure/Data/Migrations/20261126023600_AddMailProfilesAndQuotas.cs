using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HostPanel.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddMailProfilesAndQuotas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MailProfiles",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "TEXT", maxLength: 68, nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    Security = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    FromAddress = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    FromName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailProfiles", x => x.Scope);
                });

            migrationBuilder.CreateTable(
                name: "OrganizationQuotas",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MaxApps = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxMemoryBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxStorageBytes = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrganizationQuotas", x => x.OrganizationId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MailProfiles");

            migrationBuilder.DropTable(
                name: "OrganizationQuotas");
        }
    }
}
