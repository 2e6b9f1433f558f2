package dev.ctrnet.core;

import dagger.BindsInstance;
import dagger.Component;
import javax.inject.Singleton;

/** The core's object graph for one configuration. */
@Singleton
@Component(modules = CoreModule.class)
interface CoreComponent {
    Runtime runtime();

    @Component.Factory
    interface Factory {
        CoreComponent create(@BindsInstance RuntimeConfig config);
    }
}
