// The display servers live in Tests/DesktopPeers (shared with
// LimberPluginsTests); this target knows Xvfb by its old name.
import DesktopPeers

typealias TestXServer = XServer
