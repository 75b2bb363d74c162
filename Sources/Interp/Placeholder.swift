// placeholder so the module builds
