//! `dossier init DIR`: creates a new site from the scaffold.

use crate::cli::InitArgs;
use crate::error::Diagnostics;

/// `dossier init DIR`.
pub fn run(args: &InitArgs) -> Result<(), Diagnostics> {
    let starter = if args.bare {
        crate::scaffold::Starter::Bare
    } else {
        crate::scaffold::Starter::Explainer
    };
    crate::scaffold::create_site(&args.dir, starter).map_err(Diagnostics::from)?;
    anstream::println!(
        "Created a new site in {dir}. Next: cd {dir} && dossier serve",
        dir = args.dir.display()
    );
    Ok(())
}
