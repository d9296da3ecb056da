"""Hook clock, end of every event (see __init__.py). Benchmark only."""

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tests.benchmarks import clock  # noqa: E402


@event_priority(-101)
def on_config(config, **_):
    clock.stop('config')
    return config


@event_priority(-101)
def on_files(files, config, **_):
    clock.stop('files')
    return files


@event_priority(-101)
def on_nav(nav, config, files, **_):
    clock.stop('nav')
    return nav


@event_priority(-101)
def on_env(env, config, files, **_):
    clock.stop('env')
    return env


@event_priority(-101)
def on_page_read_source(page, config, **_):
    clock.stop('page_read_source')
    return None


@event_priority(-101)
def on_page_markdown(markdown, page, config, files, **_):
    clock.stop('page_markdown')
    return markdown


@event_priority(-101)
def on_page_content(html, page, config, files, **_):
    clock.stop('page_content')
    return html


@event_priority(-101)
def on_page_context(context, page, config, nav, **_):
    clock.stop('page_context')
    return context


@event_priority(-101)
def on_post_page(output, page, config, **_):
    clock.stop('post_page')
    return output


@event_priority(-101)
def on_post_template(output_content, template_name, config, **_):
    clock.stop('post_template')
    return output_content


@event_priority(-101)
def on_post_build(config, **_):
    clock.stop('post_build')
    clock.write()
    return None
