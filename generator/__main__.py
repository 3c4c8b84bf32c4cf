from generator.commands import run

run()
