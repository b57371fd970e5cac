import LimberCore
