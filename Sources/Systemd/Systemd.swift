// Swift over libsystemd. See docs/architecture.md.
import CSystemd
