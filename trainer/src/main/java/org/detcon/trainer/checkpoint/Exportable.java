package org.detcon.trainer.checkpoint;

import ai.djl.nn.Block;
import org.detcon.trainer.model.ResNetConfig;

/** What {@link BackboneExport#write} exports: a ResNet backbone block and what {@code backbone.json} says of it. */
public interface Exportable {

    /** The backbone's block (its parameters, running statistics included, go into {@code backbone.npz}). */
    Block backboneBlock();

    ResNetConfig resnet();

    /** The input side the backbone was trained at. */
    int imageSize();

    /** The method that trained it. */
    String method();

    /** Steps done. */
    long stepCount();
}
