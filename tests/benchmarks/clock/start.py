"""Hook clock, start of every event (see __init__.py). Benchmark only."""

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tests.benchmarks import clock  # noqa: E402


@event_priority(100)
def on_config(config, **_):
    clock.start()
    return config


@event_priority(100)
def on_files(files, config, **_):
    clock.start()
    return files


@event_priority(100)
def on_nav(nav, config, files, **_):
    clock.start()
    return nav


@event_priority(100)
def on_env(env, config, files, **_):
    clock.start()
    return env


@event_priority(100)
def on_page_read_source(page, config, **_):
    clock.start()
    return None


@event_priority(100)
def on_page_markdown(markdown, page, config, files, **_):
    clock.start()
    return markdown


@event_priority(100)
def on_page_content(html, page, config, files, **_):
    clock.start()
    return html


@event_priority(100)
def on_page_context(context, page, config, nav, **_):
    clock.start()
    return context


@event_priority(100)
def on_post_page(output, page, config, **_):
    clock.start()
    return output


@event_priority(100)
def on_post_template(output_content, template_name, config, **_):
    clock.start()
    return output_content


@event_priority(100)
def on_post_build(config, **_):
    clock.start()
    return None
