//! Seeds a database for `make bench-csv`: the organization "Huge University"
//! (bench@huge.example, password "bench password", see
//! `umbrella::testing::organization_with_admin`) with COUNT child accounts, as fast
//! as the database takes them.
//!
//! `cargo run --release -p umbrella-server --example seed_accounts -- DATABASE_URL COUNT`

use umbrella::testing::{bulk_seed_accounts, organization_with_admin};
use umbrella::{Db, Umbrella};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(count)) = (args.next(), args.next()) else {
        return Err("usage: seed_accounts DATABASE_URL COUNT".into());
    };
    let count: usize = count.parse()?;
    let core = Umbrella::new(Db::connect(&url).await?);
    let (parent, admin) =
        organization_with_admin(&core, "Huge University", "bench@huge.example", 0).await;
    bulk_seed_accounts(&core, admin.organization_id(), parent, count).await?;
    Ok(())
}
