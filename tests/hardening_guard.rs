//! Regressions found by a second adversarial pass: templates nested too deeply to parse (which
//! overflowed the stack), output folders inside the other folders dossier reads or keeps
//! (`data/`, `sources/`, `.dossier-cache/`), symlinks inside `data/`, and dev server requests
//! that name another host in an absolute-form target or a second `Host:` header.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests stop at the first failed step

mod common;

use common::serve::request;
use common::site::{tree, TestSite};

const FAILED: &str = "build failed: 1 error; the output folder was left as it was";

#[test]
fn a_template_nested_too_deeply_is_refused_where_it_goes_too_deep() {
    let mut page = "{% extends \"base.html\" %}\n{% block main %}\n".to_owned();
    page += &"{% if true %}\n".repeat(250);
    page += &"{% endif %}\n".repeat(250);
    page += "{{ page.content | safe }}{% endblock main %}\n";
    TestSite::fixture("basic").fails_with(
        &[("templates/page.html", &page)],
        &format!(
            "templates/page.html:202:1: error: the template nests tags more than 200 levels deep
    |
202 | {{% if true %}}
    | ^
  = help: split it up: move the inner part into a macro or an included template

{FAILED}
"
        ),
    );
}

#[test]
fn an_expression_nested_too_deeply_is_refused() {
    let page = format!(
        "{{% extends \"base.html\" %}}\n{{% block main %}}{{{{ {}1{} }}}}{{% endblock main %}}\n",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    let site = TestSite::fixture("basic");
    site.build().success();
    let before = tree(&site.public());
    site.write("templates/page.html", &page);
    let run = site.build().user_error();
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "templates/page.html:2:220: error: the template nests brackets more than 200 levels deep"
    );
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn outputs_inside_data_sources_or_the_cache_are_refused() {
    for folder in ["data", "sources", ".dossier-cache"] {
        let site = TestSite::fixture("basic");
        let output = format!("{folder}/out");
        let run = site.run(&["build", "--output", &output]).user_error();
        assert_eq!(
            run.stderr,
            format!("{output}: error: refusing to write the site here: it is inside the site's {folder}/ folder, which dossier reads or keeps between builds
  = help: write the site outside {folder}/, e.g. --output public

{FAILED}
")
        );
        assert!(!site.path(&output).exists(), "{output} was written");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_inside_data_are_read_and_links_out_of_it_refused() {
    let site = TestSite::fixture("basic")
        .file("data/real.yaml", "a: 1\n")
        .file("../outside.yaml", "secret: 1\n");
    std::os::unix::fs::symlink("real.yaml", site.path("data/alias.yaml")).unwrap();
    site.build().success();
    std::os::unix::fs::symlink(site.path("../outside.yaml"), site.path("data/out.yaml")).unwrap();
    let run = site.build().user_error();
    let outside = site.path("../outside.yaml");
    assert_eq!(
        run.stderr,
        format!("data/out.yaml: error: this symlink points to `{}`, outside the site's content/, static/ and data/ folders
  = help: copy the files into the site instead; dossier never publishes files from outside content/, static/ and data/

{FAILED}
", outside.display())
    );
}

#[test]
fn the_dev_server_refuses_other_hosts_named_in_the_target_or_a_second_header() {
    let site = TestSite::fixture("serve/basic");
    let server = site.serve(&[]);
    let address = server.address();
    let ok = request(&address, "GET", "/", &[]).unwrap();
    assert_eq!(ok.status, 200);
    let absolute = request(&address, "GET", "http://rebind.example/", &[]).unwrap();
    assert_eq!(absolute.status, 421);
    assert!(
        absolute.text().ends_with("not for `rebind.example`: other host names could be a web page reading this server through DNS rebinding.\n"),
        "{}",
        absolute.text()
    );
    let twice = request(&address, "GET", "/", &[("Host", "rebind.example")]).unwrap();
    assert_eq!(twice.status, 421);
}

/// Tera panics when `super()` runs twice in one block; it is refused when loading.
#[test]
fn super_written_twice_in_a_block_is_refused() {
    TestSite::fixture("basic").fails_with(
        &[(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ super() }}\n{% if true %}{{ super() }}{% endif %}{% endblock main %}\n",
        )],
        &format!(
            "templates/page.html:3:17: error: `super()` may be written once per block, and only inside a block
  |
3 | {{% if true %}}{{{{ super() }}}}{{% endif %}}{{% endblock main %}}
  |                 ^
  = help: write `{{{{ super() }}}}` once in the block: Tera cannot render the parent's block twice

{FAILED}
"
        ),
    );
}
