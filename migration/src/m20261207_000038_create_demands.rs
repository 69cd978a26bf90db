use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Members' technology demands (技术需求): what an enterprise needs, registered by it or by a
/// center's staff on its behalf, visible to its alliance's centers or to every signed-in user.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Demands::Table)
                    .col(pk_auto(Demands::Id))
                    .col(integer(Demands::MemberOrganizationId))
                    .col(string(Demands::Title))
                    .col(text(Demands::Description))
                    .col(string(Demands::Industry))
                    .col(text(Demands::Ipc))
                    .col(text(Demands::Keywords))
                    .col(string(Demands::WantedMode))
                    .col(big_integer_null(Demands::BudgetMinFen))
                    .col(big_integer_null(Demands::BudgetMaxFen))
                    .col(date(Demands::ValidUntil))
                    .col(string(Demands::Visibility))
                    .col(boolean(Demands::Anonymous).default(false))
                    .col(string_null(Demands::ContactName))
                    .col(string_null(Demands::ContactPhone))
                    .col(string_null(Demands::ContactEmail))
                    .col(string(Demands::Status))
                    .col(integer(Demands::RegisteredBy))
                    .col(integer_null(Demands::OnBehalfCenterId))
                    .col(integer(Demands::Version).default(1))
                    .col(timestamp_with_time_zone(Demands::CreatedAt))
                    .col(timestamp_with_time_zone(Demands::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_demands_member")
                            .from(Demands::Table, Demands::MemberOrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_demands_member")
                    .table(Demands::Table)
                    .col(Demands::MemberOrganizationId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Demands::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Demands {
    Table,
    Id,
    MemberOrganizationId,
    Title,
    Description,
    Industry,
    Ipc,
    Keywords,
    WantedMode,
    BudgetMinFen,
    BudgetMaxFen,
    ValidUntil,
    Visibility,
    Anonymous,
    ContactName,
    ContactPhone,
    ContactEmail,
    Status,
    RegisteredBy,
    OnBehalfCenterId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
