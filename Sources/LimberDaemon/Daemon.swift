import LimberCore
import LimberConfig
