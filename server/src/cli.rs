//! The command line: `serve [--demo]`, `migrate`, `create-user`, `seed --scale demo`.

use clap::{Parser, Subcommand, ValueEnum};

use crate::{
    app::{Added, Application, FirstStart, prepare_database},
    auth::password,
    db,
    domain::{
        identifiers::Uscc,
        organizations,
        users::{self, NewUserInput, Role},
    },
    settings::Settings,
};

/// ipoc — 产业知识产权运营中心管理系统 (industrial IP operation centers).
#[derive(Debug, Parser)]
#[command(name = "ipoc", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve HTTP on IPOC_BIND.
    Serve {
        /// Add the demo accounts and organizations if missing (idempotent).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Create an account. The password is read from IPOC_NEW_USER_PASSWORD, or generated and printed once.
    CreateUser {
        /// E-mail address (the login name).
        #[arg(long)]
        email: String,
        /// admin, cnipa, expert, local_office, center or member.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// USCC of the user's organization (must be registered).
        #[arg(long)]
        organization: Option<String>,
        /// Jurisdiction of a local_office user: XX0000 (province) or XXYY00 (city).
        #[arg(long)]
        region_code: Option<String>,
    },
    /// Add seed data.
    Seed {
        /// Which data set.
        #[arg(long, value_enum)]
        scale: Scale,
    },
    /// The search index of this machine (IPOC_SEARCH_DIR).
    Search {
        #[command(subcommand)]
        action: SearchAction,
    },
}

/// What to do with the search index.
#[derive(Debug, Subcommand)]
pub enum SearchAction {
    /// Rebuild it from the database (while no ipoc serves from the same folder).
    Rebuild,
}

/// Seed data sets.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Scale {
    /// One account per role and a handful of organizations.
    Demo,
    /// 1,000 centers, 50,000 organizations, 100,000 memberships, 1,000,000 deals, 30,000 projects.
    National,
    /// 1,000,000 listings and 100,000 demands over the national organizations (benchmarks).
    Market,
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse(raw).ok_or_else(|| {
        format!("unknown role '{raw}'; one of admin, cnipa, expert, local_office, center, member")
    })
}

/// Runs a command.
/// The whole program: parses the command line and the `IPOC_*` settings, sets up logging and
/// runs the command (the `ipoc` binary is this and its allocator).
pub async fn main() -> std::process::ExitCode {
    use tracing_subscriber::{EnvFilter, fmt};
    let cli = Cli::parse();
    fmt()
        .with_env_filter(
            EnvFilter::try_from_env("IPOC_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("ipoc refuses to start: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(cli, settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ipoc: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs the command `cli` under `settings`.
pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { demo } => serve(settings, demo).await,
        Command::Migrate => {
            let db = db::connect(&settings).await?;
            prepare_database(&db, &settings, FirstStart::Nothing).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CreateUser {
            email,
            role,
            organization,
            region_code,
        } => create_user(settings, email, role, organization, region_code).await,
        Command::Search {
            action: SearchAction::Rebuild,
        } => {
            let db = db::connect(&settings).await?;
            prepare_database(&db, &settings, FirstStart::Nothing).await?;
            let index = crate::search::SearchIndex::open_exclusive(&settings.search)?;
            let started = std::time::Instant::now();
            let count = crate::search::follow::rebuild(&index, &db).await?;
            let seconds = started.elapsed().as_secs_f64();
            println!("search index rebuilt: {count} listings and demands in {seconds:.1} s");
            Ok(())
        }
        Command::Seed { scale } => {
            let db = db::connect(&settings).await?;
            let fail = |e: crate::error::AppError| anyhow::anyhow!("{e}");
            match scale {
                Scale::Demo => {
                    if let Added::Demo(report) =
                        prepare_database(&db, &settings, FirstStart::Demo).await?
                    {
                        report_seed(report);
                    }
                }
                Scale::Market => {
                    prepare_database(&db, &settings, FirstStart::Nothing).await?;
                    let (today, now) = (settings.clock.today(), settings.clock.now());
                    let market = &crate::seed::national::market::MARKET;
                    let report = crate::seed::national::market::seed(&db, market, today, now)
                        .await
                        .map_err(fail)?;
                    println!("{report}");
                }
                Scale::National => {
                    prepare_database(&db, &settings, FirstStart::Nothing).await?;
                    let report = crate::seed::seed(
                        &db,
                        &crate::seed::NATIONAL,
                        settings.clock.today(),
                        settings.clock.now(),
                    )
                    .await
                    .map_err(fail)?;
                    println!("{report}");
                }
            }
            Ok(())
        }
    }
}

fn report_seed(report: crate::seed::demo::SeedReport) {
    println!(
        "demo data: {} organizations and {} accounts added{}{} (password of demo accounts: {})",
        report.organizations_added,
        report.users_added,
        match (report.center_added, report.reviewed_centers_added) {
            (true, true) =>
                ", the demo center of center@demo.ipoc.cn and three centers in their cycles",
            (true, false) => ", and the demo center of center@demo.ipoc.cn",
            (false, true) => ", and three demo centers in their cycles",
            (false, false) => "",
        },
        if report.market_added {
            ", with listings and demands in the market"
        } else {
            ""
        },
        crate::seed::demo::DEMO_PASSWORD
    );
}

async fn serve(settings: Settings, with_demo: bool) -> anyhow::Result<()> {
    let first_start = if with_demo {
        FirstStart::Demo
    } else {
        FirstStart::InitialAdmin
    };
    let (application, added) = Application::build_with(settings.clone(), first_start).await?;
    match added {
        Added::Demo(report) => report_seed(report),
        Added::Admin { email, password } => println!(
            "first start: created admin {email} with one-time password {password} (shown only now; change it after logging in)"
        ),
        Added::Nothing => {}
    }
    let host = settings
        .bind
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or("127.0.0.1");
    println!("ipoc listening on http://{host}:{}", application.port());
    application.run_until_stopped().await?;
    Ok(())
}

async fn create_user(
    settings: Settings,
    email: String,
    role: Role,
    organization: Option<String>,
    region_code: Option<String>,
) -> anyhow::Result<()> {
    let db = db::connect(&settings).await?;
    prepare_database(&db, &settings, FirstStart::Nothing).await?;
    let organization_id = match organization {
        Some(raw) => {
            let uscc = Uscc::parse(&raw)
                .map_err(|e| anyhow::anyhow!("--organization: {}", e.message().en))?;
            let org = organizations::find_by_uscc(&db, &uscc)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--organization: no organization with USCC {uscc} is registered"
                    )
                })?;
            Some(org.id)
        }
        None => None,
    };
    let (secret, generated) = match std::env::var("IPOC_NEW_USER_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (password::random_password(20), true),
    };
    let input = NewUserInput {
        email,
        name: String::new(),
        password: secret.clone(),
        role,
        organization_id,
        center_id: None,
        region_code,
    };
    let user = users::create(&db, None, input, settings.clock.now())
        .await
        .map_err(|e| match e {
            crate::error::AppError::Validation(fields) => {
                anyhow::anyhow!(
                    "{}",
                    fields
                        .in_lang(crate::i18n::Lang::En)
                        .into_iter()
                        .map(|(k, v)| format!("{k}: {}", v.join("; ")))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            }
            other => anyhow::anyhow!("{}", other.message().en),
        })?;
    if generated {
        println!(
            "created {} ({}) with password {secret} (shown only now)",
            user.email, user.role
        );
    } else {
        println!("created {} ({})", user.email, user.role);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;

    #[test]
    fn every_verb_has_help() {
        for args in [
            vec!["ipoc", "--help"],
            vec!["ipoc", "serve", "--help"],
            vec!["ipoc", "migrate", "--help"],
            vec!["ipoc", "create-user", "--help"],
            vec!["ipoc", "seed", "--help"],
        ] {
            let err = Cli::try_parse_from(&args).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::DisplayHelp, "{args:?}");
        }
        let help = Cli::try_parse_from(["ipoc", "create-user", "--help"])
            .unwrap_err()
            .to_string();
        assert!(
            help.contains("--email") && help.contains("--role") && help.contains("--organization")
        );
    }

    #[test]
    fn verbs_parse() {
        let cli = Cli::try_parse_from(["ipoc", "serve", "--demo"]).unwrap();
        assert!(matches!(cli.command, Command::Serve { demo: true }));
        let cli = Cli::try_parse_from([
            "ipoc",
            "create-user",
            "--email",
            "a@b.cn",
            "--role",
            "local_office",
            "--region-code",
            "320000",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::CreateUser {
                role: Role::LocalOffice,
                ..
            }
        ));
        assert!(
            Cli::try_parse_from(["ipoc", "create-user", "--email", "a@b.cn", "--role", "boss"])
                .is_err()
        );
        assert!(Cli::try_parse_from(["ipoc", "seed", "--scale", "demo"]).is_ok());
    }
}
