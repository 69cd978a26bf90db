use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A person who registers with the code of an organization already registered asks to be linked
/// to it: the account exists at once, the link waits for a staff member of a center whose alliance
/// holds the organization (else an admin) to approve or decline it.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrganizationLinks::Table)
                    .col(pk_auto(OrganizationLinks::Id))
                    .col(integer(OrganizationLinks::UserId))
                    .col(integer(OrganizationLinks::OrganizationId))
                    .col(string(OrganizationLinks::Status))
                    .col(text_null(OrganizationLinks::Reason))
                    .col(integer_null(OrganizationLinks::DecidedBy))
                    .col(timestamp_with_time_zone_null(OrganizationLinks::DecidedAt))
                    .col(integer(OrganizationLinks::Version).default(1))
                    .col(timestamp_with_time_zone(OrganizationLinks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_organization_links_user")
                            .from(OrganizationLinks::Table, OrganizationLinks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_organization_links_organization")
                            .from(OrganizationLinks::Table, OrganizationLinks::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organization_links_organization")
                    .table(OrganizationLinks::Table)
                    .col(OrganizationLinks::OrganizationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrganizationLinks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum OrganizationLinks {
    Table,
    Id,
    UserId,
    OrganizationId,
    Status,
    Reason,
    DecidedBy,
    DecidedAt,
    Version,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
