use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The nine strategic emerging industries that centers name by their Chinese name; admins add more.
const STRATEGIC_EMERGING_INDUSTRIES: [&str; 9] = [
    "新一代信息技术",
    "高端装备制造",
    "新材料",
    "生物",
    "新能源汽车",
    "新能源",
    "节能环保",
    "数字创意",
    "相关服务业",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Industries::Table)
                    .col(pk_auto(Industries::Id))
                    .col(string_uniq(Industries::Name))
                    .col(integer(Industries::SortOrder))
                    .col(boolean(Industries::Active).default(true))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert
            .into_table(Industries::Table)
            .columns([Industries::Name, Industries::SortOrder]);
        for (order, name) in STRATEGIC_EMERGING_INDUSTRIES.iter().enumerate() {
            insert.values_panic([(*name).into(), (order as i32 + 1).into()]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Industries::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Industries {
    Table,
    Id,
    Name,
    SortOrder,
    Active,
}
