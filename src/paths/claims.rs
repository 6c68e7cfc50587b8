//! Claims on output files, checked before anything is rendered or written. Every page, alias,
//! copied file and generated file claims the output file it writes; a second claim on the same
//! file, a file where another claim needs a folder, or a folder where another claim writes a
//! file is a [`Clash`], reported by the caller at the source that made the later claim. Names
//! that differ only in case or in Unicode normal form count as the same file: they are one file
//! on macOS and Windows.

use super::OutputPath;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Who claimed what, and which folders those files need.
#[derive(Debug)]
pub struct Claims<O> {
    files: HashMap<String, FileClaim<O>>,
    /// Each folder some claimed file needs, with the first file that needs it.
    folders: HashMap<String, (OutputPath, O)>,
}

#[derive(Debug)]
struct FileClaim<O> {
    output: OutputPath,
    owner: O,
    /// A generated file that gives way to a copied file of the same name (`robots.txt`).
    yields: bool,
}

/// Why a claim is refused; `other` made the earlier claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash<O> {
    /// `other` writes the same file (`theirs`, maybe spelt in another case).
    SameFile { other: O, theirs: OutputPath },
    /// The claimed file needs the folder `folder`, where `other` writes a file.
    NeedsFolder { other: O, folder: String },
    /// The claimed file is a folder `other` needs for `theirs`.
    IsFolder { other: O, theirs: OutputPath },
}

impl<O> Default for Claims<O> {
    fn default() -> Self {
        Claims {
            files: HashMap::new(),
            folders: HashMap::new(),
        }
    }
}

/// The key two paths clash on: case-folded and in Unicode normal form C, since macOS and Windows
/// file systems ignore case and macOS ignores the normal form.
fn key(path: &str) -> String {
    path.nfc().collect::<String>().to_lowercase()
}

impl<O: Clone> Claims<O> {
    /// Claims `output` for `owner`. A copied file (`replaces_generated`) takes the place of a
    /// generated file that yields to it.
    pub fn claim(
        &mut self,
        output: &OutputPath,
        owner: O,
        replaces_generated: bool,
    ) -> Result<(), Clash<O>> {
        self.insert(output, owner, replaces_generated, false)
    }

    /// Claims `output` for a file dossier generates; `yields` lets a copied file replace it.
    pub fn generated(
        &mut self,
        output: &OutputPath,
        owner: O,
        yields: bool,
    ) -> Result<(), Clash<O>> {
        self.insert(output, owner, false, yields)
    }

    fn insert(
        &mut self,
        output: &OutputPath,
        owner: O,
        replaces_generated: bool,
        yields: bool,
    ) -> Result<(), Clash<O>> {
        let file_key = key(output);
        if let Some(claim) = self.files.get(&file_key) {
            if !(claim.yields && replaces_generated) {
                return Err(Clash::SameFile {
                    other: claim.owner.clone(),
                    theirs: claim.output.clone(),
                });
            }
        }
        if let Some((theirs, other)) = self.folders.get(&file_key) {
            return Err(Clash::IsFolder {
                other: other.clone(),
                theirs: theirs.clone(),
            });
        }
        for folder in output.folders() {
            if let Some(claim) = self.files.get(&key(folder)) {
                return Err(Clash::NeedsFolder {
                    other: claim.owner.clone(),
                    folder: folder.to_owned(),
                });
            }
        }
        for folder in output.folders() {
            self.folders
                .entry(key(folder))
                .or_insert_with(|| (output.clone(), owner.clone()));
        }
        self.files.insert(
            file_key,
            FileClaim {
                output: output.clone(),
                owner,
                yields,
            },
        );
        Ok(())
    }
}

impl<O> Clash<O> {
    /// The message for the later claim: `subject` names it ("this page", "the alias `/old/`"),
    /// `describe` names the earlier one.
    pub fn message(
        &self,
        subject: &str,
        output: &OutputPath,
        describe: impl Fn(&O) -> String,
    ) -> String {
        match self {
            Clash::SameFile { other, theirs } if theirs == output => {
                format!("{subject} would write `{output}`, which {} writes too", describe(other))
            }
            Clash::SameFile { other, theirs } => format!(
                "{subject} would write `{output}`, and {} writes `{theirs}`: names that differ only in case or Unicode form are one file on macOS and Windows",
                describe(other)
            ),
            Clash::NeedsFolder { other, folder } => format!(
                "{subject} would write `{output}`, which needs a folder `{folder}` where {} writes a file",
                describe(other)
            ),
            Clash::IsFolder { other, theirs } => format!(
                "{subject} would write the file `{output}`, but {} needs a folder there for `{theirs}`",
                describe(other)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str) -> OutputPath {
        OutputPath(path.to_owned())
    }

    #[test]
    fn same_files_folders_and_case_clash() {
        let mut claims = Claims::default();
        claims.generated(&out("404.html"), "404", false).unwrap();
        claims
            .generated(&out("robots.txt"), "robots", true)
            .unwrap();
        claims
            .claim(&out("later/index.html"), "later", false)
            .unwrap();
        assert_eq!(
            claims.claim(&out("404.html"), "alias", false),
            Err(Clash::SameFile {
                other: "404",
                theirs: out("404.html")
            })
        );
        assert_eq!(
            claims.claim(&out("later"), "file", true),
            Err(Clash::IsFolder {
                other: "later",
                theirs: out("later/index.html")
            })
        );
        assert_eq!(
            claims.claim(&out("404.html/index.html"), "slug", false),
            Err(Clash::NeedsFolder {
                other: "404",
                folder: "404.html".into()
            })
        );
        assert_eq!(
            claims.claim(&out("Later/index.html"), "case", false),
            Err(Clash::SameFile {
                other: "later",
                theirs: out("later/index.html")
            })
        );
        claims.claim(&out("caf\u{e9}.txt"), "nfc", true).unwrap();
        assert!(claims.claim(&out("cafe\u{301}.txt"), "nfd", true).is_err());
        claims.claim(&out("robots.txt"), "static", true).unwrap();
        assert!(claims.claim(&out("robots.txt"), "again", true).is_err());
    }
}
