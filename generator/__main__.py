from generator.commands import main

main()
