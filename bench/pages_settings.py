"""Settings for bench/pages.py: the app's own settings (the benchmark sets production
values in the environment first) with a URLconf that adds the bare reference view.
Never used by the app itself."""

from foorumix.settings import *  # noqa: F403
from foorumix.settings import VAR_DIR

ROOT_URLCONF = "pages_urls"
# collectstatic for the manifest storage goes here, not into the release's staticfiles/.
STATIC_ROOT = VAR_DIR / "bench_static"
