//! `dossier new PATH`: creates a new page with front matter filled in.

use crate::cli::NewArgs;
use crate::error::Diagnostics;

/// `dossier new PATH`.
pub fn run(args: &NewArgs) -> Result<(), Diagnostics> {
    let path = crate::scaffold::create_page(&args.root, &args.path, args.title.as_deref())
        .map_err(Diagnostics::from)?;
    anstream::println!("Created {}", path.display());
    Ok(())
}
